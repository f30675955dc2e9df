eval -f tsv ../../rubrics/月度绩效考核评分表.rubric ../../examples/月度绩效考核评分表/facts
