template --help
