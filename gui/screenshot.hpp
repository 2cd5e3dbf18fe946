// Writing what the window shows to a PNG file (`cxstudio --screenshot FILE.png`).
#pragma once

#include <filesystem>
#include <string>

#include "gui/platform.hpp"

namespace cx::studio {

// Writes `image` (RGB, top row first) as a PNG. Returns false with a message on failure.
bool writePng(const RgbImage& image, const std::filesystem::path& file, std::string& error);

}  // namespace cx::studio
