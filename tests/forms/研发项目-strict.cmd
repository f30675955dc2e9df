eval -f tsv --strict ../../rubrics/研发项目季度绩效考核表.rubric 研发项目.csv
