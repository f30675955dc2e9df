eval -f json edition2/四舍五入2位.rubric edition2/四舍五入2位.csv
