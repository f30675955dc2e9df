eval -f json exact/百分比.rubric exact/百分比
