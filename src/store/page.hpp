#pragma once

#include "core/page.hpp"

namespace roster::store {

using roster::Page;

}  // namespace roster::store
