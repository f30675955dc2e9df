render -f md ../../rubrics/月度绩效考核评分表-扣分制.rubric
