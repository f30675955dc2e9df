eval -f csv show/显示.rubric show/员工.csv
