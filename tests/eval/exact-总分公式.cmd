eval -f json exact/总分公式.rubric exact/总分公式.csv
