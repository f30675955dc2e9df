render -f md ../../rubrics/研发项目季度绩效考核表.rubric
