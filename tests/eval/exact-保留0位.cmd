eval -f json exact/保留0位.rubric exact/保留0位.csv
