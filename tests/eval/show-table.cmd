eval -f table show/显示.rubric show/员工.csv
