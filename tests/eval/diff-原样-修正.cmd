diff ../../rubrics/客户考核评分表-原样.rubric ../../rubrics/客户考核评分表.rubric ../../examples/客户考核评分表/facts
