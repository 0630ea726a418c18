// The socket types of a connection, bound to its strand by type (not through any_io_executor), so every
// operation skips the type-erased executor's copies and allocations.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace vidgen::http::detail {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using Socket = boost::asio::ip::tcp::socket::rebind_executor<Strand>::other;
using Stream = boost::beast::basic_stream<boost::asio::ip::tcp, Strand, boost::beast::unlimited_rate_policy>;

}  // namespace vidgen::http::detail
