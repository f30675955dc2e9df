eval -f csv invisible/考核.rubric invisible/表头.csv invisible/张三.facts invisible/值.csv invisible/李四.facts
