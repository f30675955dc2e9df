render -f md ../../rubrics/销售人员月度KPI考核表.rubric
