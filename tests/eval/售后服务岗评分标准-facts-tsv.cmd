eval -f tsv ../../rubrics/售后服务岗评分标准.rubric ../../examples/售后服务岗评分标准/facts
