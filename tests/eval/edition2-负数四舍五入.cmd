eval -f csv edition2/负数四舍五入.rubric edition2/负数四舍五入.csv
