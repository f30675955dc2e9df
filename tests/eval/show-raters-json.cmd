eval -f json show/评价人.rubric show/评价人.csv
