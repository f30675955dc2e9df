render -f md ../../rubrics/行政人员月度考核表-扣分制.rubric
