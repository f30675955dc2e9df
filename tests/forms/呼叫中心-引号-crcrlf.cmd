eval -f csv ../../rubrics/呼叫中心坐席月度考核表.rubric 呼叫中心-引号-crcrlf.csv
