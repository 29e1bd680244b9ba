/*
 * Rule: configs/single.c runs the image given as GUEST=; without one the
 * build stops and says how to call it.
 */
/* expect: error: #error "CONFIG=single needs GUEST=, the image to run: make run CONFIG=single GUEST=path/to/Image */
#include "../../../configs/single.c"
