eval -f csv ../../rubrics/行政人员月度考核表-扣分制.rubric 行政扣分.csv
