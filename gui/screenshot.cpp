#include "gui/screenshot.hpp"

// The one place stb_image_write's implementation is compiled. STATIC keeps its symbols out of
// the link, where libstb (which libimgui needs) exports the same names.
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

namespace cx::studio {

bool writePng(const RgbImage& image, const std::filesystem::path& file, std::string& error) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3) {
    error = "no image to write (the window has no size)";
    return false;
  }
  const int stride = image.width * 3;
  if (stbi_write_png(file.string().c_str(), image.width, image.height, 3, image.pixels.data(),
                     stride) == 0) {
    error = "cannot write " + file.string();
    return false;
  }
  return true;
}

}  // namespace cx::studio
