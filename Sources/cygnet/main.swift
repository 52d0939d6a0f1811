print("cygnet")
