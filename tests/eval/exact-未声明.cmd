eval -f json exact/错误.rubric exact/未声明 exact/未声明.csv
