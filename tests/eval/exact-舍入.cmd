eval -f json exact/舍入.rubric exact/舍入.csv
