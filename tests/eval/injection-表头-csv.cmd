eval -f csv injection/表头.rubric injection/表头.csv
