eval -f csv show/显示.rubric show/percent.csv
