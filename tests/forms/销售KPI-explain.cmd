explain ../../rubrics/销售人员月度KPI考核表.rubric 销售KPI.csv --id S002
