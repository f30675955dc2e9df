eval -f json exact/小数.rubric exact/小数.csv
