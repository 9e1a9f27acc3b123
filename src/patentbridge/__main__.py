from patentbridge.cli import main

main()
