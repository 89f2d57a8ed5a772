from figgen.launcher import main

main()
