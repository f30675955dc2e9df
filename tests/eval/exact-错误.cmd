eval -f json exact/错误.rubric exact/错误.csv
