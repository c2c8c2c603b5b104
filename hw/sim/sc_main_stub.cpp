// Debian's libsystemc.so defines main() and references sc_main. npusim and its tests have their own
// main() and elaborate designs from code (hw/sim/simulation.cpp), so this is never called; it only
// satisfies the library's reference.
extern "C" int sc_main(int, char**) { return 0; }
