report ../../rubrics/客户考核评分表.rubric ../../examples/客户考核评分表/team.csv
