eval -f json show/显示.rubric show/默认.csv
