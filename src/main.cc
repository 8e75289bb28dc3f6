#include "cli/main.h"

int main(int argc, char** argv) { return kiroku::cli::Main(argc, argv); }
