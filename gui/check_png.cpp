// cx_check_png FILE.png [MIN_WIDTH MIN_HEIGHT]: fails (exit 1) when the picture cannot be
// read, is smaller than expected, or is blank. Used by the studio.screenshot_not_blank test.
//
// "Blank" means one colour everywhere, or so few colours that no text can have been drawn:
// anti-aliased text alone brings dozens of grey levels.
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <set>

namespace {

constexpr std::size_t kMinColours = 16;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::fprintf(stderr, "usage: %s FILE.png [MIN_WIDTH MIN_HEIGHT]\n", argv[0]);
    return 2;
  }
  const char* file = argv[1];
  const int min_width = argc == 4 ? std::atoi(argv[2]) : 1;
  const int min_height = argc == 4 ? std::atoi(argv[3]) : 1;

  int width = 0;
  int height = 0;
  int channels = 0;
  unsigned char* pixels = stbi_load(file, &width, &height, &channels, 3);
  if (pixels == nullptr) {
    std::fprintf(stderr, "%s: cannot read: %s\n", file, stbi_failure_reason());
    return 1;
  }
  int status = 0;
  if (width < min_width || height < min_height) {
    std::fprintf(stderr, "%s: %dx%d, expected at least %dx%d\n", file, width, height, min_width,
                 min_height);
    status = 1;
  }
  std::set<unsigned long> colours;
  const std::size_t count = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  for (std::size_t i = 0; i < count && colours.size() < kMinColours; ++i) {
    const unsigned char* p = pixels + i * 3;
    colours.insert((static_cast<unsigned long>(p[0]) << 16) | (p[1] << 8) | p[2]);
  }
  stbi_image_free(pixels);
  if (colours.size() < kMinColours) {
    std::fprintf(stderr, "%s: looks blank: only %zu distinct colour(s)\n", file, colours.size());
    status = 1;
  }
  if (status == 0) std::printf("%s: %dx%d, not blank\n", file, width, height);
  return status;
}
