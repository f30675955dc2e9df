eval -f csv ../../rubrics/车间生产线月度考核表.rubric 车间-facts
