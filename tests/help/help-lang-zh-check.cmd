check --lang=zh --help
