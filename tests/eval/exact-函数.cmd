eval -f json exact/函数.rubric exact/函数.csv
