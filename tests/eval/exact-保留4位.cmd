eval -f json exact/保留4位.rubric exact/保留4位.csv
