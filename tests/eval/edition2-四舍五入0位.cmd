eval -f json edition2/四舍五入0位.rubric edition2/四舍五入0位.csv
