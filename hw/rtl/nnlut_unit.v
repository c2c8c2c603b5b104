`timescale 1ns / 1ps
// NN-LUT unit (SPEC 2.6): SEGMENTS - 1 breakpoints and SEGMENTS (slope, intercept) pairs of INT32,
// written through a load port, and LANES evaluations per cycle through a two-stage pipeline: stage 1
// compares the input with every breakpoint in parallel (k = number of breakpoints <= x); stage 2
// computes y = ((s_k * x + 2^(shift-1)) >>> shift) + t_k in 64 bits and saturates it to INT32.
//
// Planted fault for the validation flow's self-test (never defined in a real build):
//   FAULT_COMPARATOR  strict comparison (breakpoint < x) instead of breakpoint <= x
module nnlut_unit #(
    parameter integer LANES = 1,
    parameter integer SEGMENTS = 16
) (
    input  wire                 clk,
    input  wire                 rst_n,
    input  wire                 load_en,
    input  wire [1:0]           load_sel,   // 0 breakpoints, 1 slopes, 2 intercepts
    /* verilator lint_off UNUSEDSIGNAL */  // the address port is wider than 16 segments need
    input  wire [7:0]           load_addr,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [31:0]          load_data,
    input  wire [5:0]           shift,      // x_frac_bits + slope_frac_bits - out_frac_bits
    input  wire                 in_valid,
    input  wire [LANES*32-1:0]  in_x,
    output reg                  out_valid,
    output reg  [LANES*32-1:0]  out_y
);
  localparam integer K_BITS = $clog2(SEGMENTS);  // k counts up to SEGMENTS - 1 breakpoints

  reg [31:0] breakpoints [0:SEGMENTS-2];
  reg [31:0] slopes      [0:SEGMENTS-1];
  reg [31:0] intercepts  [0:SEGMENTS-1];

  always @(posedge clk) begin
    if (load_en) begin
      case (load_sel)
        2'd0: breakpoints[load_addr[K_BITS-1:0]] <= load_data;
        2'd1: slopes[load_addr[K_BITS-1:0]] <= load_data;
        default: intercepts[load_addr[K_BITS-1:0]] <= load_data;
      endcase
    end
  end

  reg s1_valid;
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      s1_valid  <= 1'b0;
      out_valid <= 1'b0;
    end else begin
      s1_valid  <= in_valid;
      out_valid <= s1_valid;
    end
  end

  genvar lane;
  generate
    for (lane = 0; lane < LANES; lane = lane + 1) begin : lanes
      wire signed [31:0] x = in_x[lane*32 +: 32];
      // Stage 1: the comparators, then a population count.
      reg [K_BITS-1:0] k;
      integer i;
      always @* begin
        k = {K_BITS{1'b0}};
        for (i = 0; i < SEGMENTS - 1; i = i + 1) begin
`ifdef FAULT_COMPARATOR
          if ($signed(breakpoints[i]) < x) k = k + 1'b1;
`else
          if ($signed(breakpoints[i]) <= x) k = k + 1'b1;
`endif
        end
      end
      reg signed [31:0] s1_x;
      reg [K_BITS-1:0]  s1_k;
      always @(posedge clk) begin
        s1_x <= x;
        s1_k <= k;
      end
      // Stage 2: multiply-add with a half-up rounding shift, saturated to INT32.
      wire signed [63:0] product = $signed(slopes[s1_k]) * s1_x;
      wire signed [63:0] half = (shift == 6'd0) ? 64'sd0 : (64'sd1 <<< (shift - 6'd1));
      wire signed [63:0] intercept = {{32{intercepts[s1_k][31]}}, intercepts[s1_k]};
      wire signed [63:0] sum = ((product + half) >>> shift) + intercept;
      wire signed [31:0] saturated = (sum > 64'sd2147483647) ? 32'sh7fffffff :
                                     (sum < -64'sd2147483648) ? 32'sh80000000 : sum[31:0];
      always @(posedge clk) out_y[lane*32 +: 32] <= saturated;
    end
  endgenerate
endmodule
