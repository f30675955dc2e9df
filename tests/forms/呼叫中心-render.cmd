render -f md ../../rubrics/呼叫中心坐席月度考核表.rubric
