check in/binary.bin
