diff ../../rubrics/销售人员月度KPI考核表.rubric 销售KPI-改.rubric 销售KPI.csv
