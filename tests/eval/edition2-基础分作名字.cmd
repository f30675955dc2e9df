eval -f json edition2/基础分作名字.rubric edition2/基础分作名字.csv
