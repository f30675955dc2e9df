eval -f json rows/逐行.rubric rows/逐行.csv rows/换列.csv
