render -f md ../../rubrics/车间生产线月度考核表.rubric
