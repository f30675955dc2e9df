eval -f table ../../rubrics/月度绩效考核评分表-扣分制.rubric ../../examples/月度绩效考核评分表-扣分制/team.csv
