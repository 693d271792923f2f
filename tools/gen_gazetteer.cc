// gen_gazetteer: writes the country and territory table of the gazetteer, generated from
// ICU's CLDR display names, to stdout (or to the file named as the first argument).
// Usage: nd_gen_gazetteer data/gazetteer/countries.tsv
#include <fstream>
#include <iostream>

#include "text/entities.h"

int main(int argc, char** argv) {
  const std::string table = nd::text::GenerateCountryTable();
  if (argc < 2) {
    std::cout << table;
    return 0;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out << table;
  if (!out) {
    std::cerr << argv[1] << ": cannot write\n";
    return 1;
  }
  return 0;
}
