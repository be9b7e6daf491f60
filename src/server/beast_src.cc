// The compiled bodies of Boost.Asio and Boost.Beast, once for the whole program (separate
// compilation: BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are set on
// gz_server). Every other TU only sees declarations, which keeps build times sane on 2 cores.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
