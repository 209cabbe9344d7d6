// The whole public API: #include <theon/theon.h>.
#pragma once

#include "theon/array.h"
#include "theon/config.h"
#include "theon/dtype.h"
#include "theon/error.h"
#include "theon/function.h"
#include "theon/grad.h"
#include "theon/io.h"
#include "theon/nnet.h"
#include "theon/printing.h"
#include "theon/profile.h"
#include "theon/random.h"
#include "theon/scan.h"
#include "theon/shared.h"
#include "theon/tensor.h"
#include "theon/variable.h"
