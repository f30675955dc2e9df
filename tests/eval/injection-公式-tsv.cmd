eval -f tsv ../../rubrics/月度绩效考核评分表.rubric injection/公式.csv
